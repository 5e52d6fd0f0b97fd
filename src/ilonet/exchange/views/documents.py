"""Pages of documents (Art. 9(1), Art. 9(2)): upload with the personal-data guard and its
override (Art. 9(3)), details with versions and statistics tables, check-out, download (checked
at every request), metadata, move, delete and restore."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ilonet import policy
from ilonet.shared.forms import apply_validation_error
from ilonet.shared.uploads import download_response

from .. import selectors, services, tables
from ..forms import MetadataForm, MoveForm, RestoreForm, UploadForm, VersionForm
from .common import A, apply_upload_error, exchange_view, found, space_context


def _upload_args(data: dict, request) -> dict:
    upload = data.pop("file")
    return {
        **data,
        "file": upload,
        "name": upload.name,
        "overrides": data.pop("overrides", []) or request.POST.getlist("overrides"),
        "override_reason": data.pop("override_reason", ""),
    }


def _upload(request, space, folder):
    policy.authorize(request.user, A.CONTRIBUTE_TO_EXCHANGE, space)
    folders = selectors.folder_choices(space=space)
    initial = {"folder": folder.pk if folder else None}
    form = UploadForm(request.POST or None, request.FILES or None, folders=folders, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            chosen = data.pop("folder")
            target = next((f for f in space.folders.all() if f.pk == chosen), None) if chosen else None
            try:
                document = services.upload_document(
                    actor=request.user, space=space, folder=target, **_upload_args(data, request)
                )
            except ValidationError as error:
                status = apply_upload_error(request, form, error, space)
            else:
                messages.success(request, _("Document added."))
                return redirect("exchange:document_detail", pk=document.pk)
        else:
            status = 422
    return render(
        request,
        "exchange/upload.html",
        {**space_context(request, space), "form": form, "folder": folder},
        status=status,
    )


@exchange_view
def document_upload(request, pk: int):
    return _upload(request, found(selectors.space_detail, user=request.user, pk=pk), None)


@exchange_view
def folder_upload(request, pk: int):
    folder = found(selectors.folder_detail, user=request.user, pk=pk)
    return _upload(request, folder.space, folder)


@exchange_view
def document_detail(request, pk: int):
    user = request.user
    document = found(selectors.document_detail, user=user, pk=pk)
    version = document.current_version
    return render(
        request,
        "exchange/document_detail.html",
        {
            **space_context(request, document.space),
            "document": document,
            "path": selectors.folder_path(user=user, folder=document.folder)
            + (
                [document.folder]
                if document.folder and policy.can(user, A.VIEW_EXCHANGE, document.folder)
                else []
            ),
            "versions": selectors.versions_of(user=user, document=document),
            "overrides": selectors.overrides_of(document=document)
            if policy.can(user, A.CONTRIBUTE_TO_EXCHANGE, document)
            else [],
            "tables": tables.tables_of(key=version.key, content_type=version.content_type) if version else [],
            "holds_it": document.checked_out_by_id == user.pk,
            "may_contribute": policy.can(user, A.CONTRIBUTE_TO_EXCHANGE, document),
            "may_manage": policy.can(user, A.MANAGE_SPACE, document),
        },
    )


@exchange_view
def document_download(request, pk: int, number: int | None = None):
    """Streamed from private storage after the policy check, at every request: a user who lost
    access following an old link gets 404 (Art. 9(3), Art. 9(4))."""
    document = found(selectors.document_detail, user=request.user, pk=pk)
    version = (
        document.current_version
        if number is None
        else found(selectors.version_of, user=request.user, document=document, number=number)
    )
    if version is None:
        raise Http404
    services.record_download(actor=request.user, version=version)
    return download_response(
        check=lambda: policy.authorize(request.user, A.VIEW_EXCHANGE, document),
        key=version.key,
        filename=version.download_name,
        content_type=version.content_type,
        size=version.size,
    )


@exchange_view
def version_upload(request, pk: int):
    document = found(selectors.document_detail, user=request.user, pk=pk)
    policy.authorize(request.user, A.CONTRIBUTE_TO_EXCHANGE, document)
    form = VersionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.upload_version(actor=request.user, document=document, **_upload_args(data, request))
            except ValidationError as error:
                status = apply_upload_error(request, form, error, document)
            else:
                messages.success(request, _("New version stored."))
                return redirect("exchange:document_detail", pk=pk)
        else:
            status = 422
    return render(
        request,
        "exchange/version_form.html",
        {**space_context(request, document.space), "form": form, "document": document},
        status=status,
    )


def _post_action(request, pk: int, action, success: str, *, managed: bool = False, to_space: bool = False):
    lookup = selectors.managed_document if managed else selectors.document_detail
    document = found(lookup, user=request.user, pk=pk)
    try:
        action(document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        to_space = False
    else:
        messages.success(request, success)
    if to_space:
        return redirect("exchange:space_detail", pk=document.space_id)
    return redirect("exchange:document_detail", pk=pk)


@require_POST  # a form's target: a GET answers 405 before any policy question
@exchange_view
def version_restore(request, pk: int, number: int):
    document = found(selectors.document_detail, user=request.user, pk=pk)
    version = found(selectors.version_of, user=request.user, document=document, number=number)
    return _post_action(
        request,
        pk,
        lambda d: services.restore_version(actor=request.user, version=version),
        _("Version restored as the current version."),
    )


@require_POST  # a form's target: a GET answers 405 before any policy question
@exchange_view
def check_out(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda d: services.check_out(actor=request.user, document=d),
        _("Checked out: the others see that you are editing it."),
    )


@require_POST  # a form's target: a GET answers 405 before any policy question
@exchange_view
def check_in(request, pk: int):
    return _post_action(
        request, pk, lambda d: services.check_in(actor=request.user, document=d), _("Checked in.")
    )


@require_POST  # a form's target: a GET answers 405 before any policy question
@exchange_view
def break_check_out(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda d: services.break_check_out(actor=request.user, document=d),
        _("The check-out was broken."),
    )


@require_POST  # a form's target: a GET answers 405 before any policy question
@exchange_view
def document_delete(request, pk: int):
    return _post_action(
        request,
        pk,
        lambda d: services.delete_document(actor=request.user, document=d),
        _("Document deleted; you can restore it from the bin."),
        managed=True,
        to_space=True,
    )


@require_POST  # a form's target: a GET answers 405 before any policy question
@exchange_view
def document_restore(request, pk: int):
    document = found(selectors.managed_document, user=request.user, pk=pk)
    form = RestoreForm(request.POST)
    expires_on = form.cleaned_data["expires_on"] if form.is_valid() else None
    try:
        services.restore_document(actor=request.user, document=document, expires_on=expires_on)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("exchange:space_bin", pk=document.space_id)
    messages.success(request, _("Document restored."))
    return redirect("exchange:document_detail", pk=pk)


@exchange_view
def document_edit(request, pk: int):
    document = found(selectors.document_detail, user=request.user, pk=pk)
    policy.authorize(request.user, A.CONTRIBUTE_TO_EXCHANGE, document)
    initial = {f: getattr(document, f) for f in services.documents.EDITABLE}
    initial["topics"] = [t.topic for t in document.topics.all()]
    form = MetadataForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.update_document(actor=request.user, document=document, topics=data.pop("topics"), **data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Details saved."))
            return redirect("exchange:document_detail", pk=pk)
    status = 422 if form.is_bound else 200
    return render(
        request,
        "exchange/form.html",
        {**space_context(request, document.space), "form": form, "title": _("Change the details")},
        status=status,
    )


@exchange_view
def document_move(request, pk: int):
    document = found(selectors.managed_document, user=request.user, pk=pk)
    folders = selectors.folder_choices(space=document.space)
    form = MoveForm(request.POST or None, folders=folders, initial={"folder": document.folder_id})
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["folder"]
        target = document.space.folders.filter(pk=chosen).first() if chosen else None
        try:
            services.move_document(actor=request.user, document=document, folder=target)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Document moved."))
            return redirect("exchange:document_detail", pk=pk)
    status = 422 if form.is_bound else 200
    return render(
        request,
        "exchange/form.html",
        {**space_context(request, document.space), "form": form, "title": _("Move the document")},
        status=status,
    )
