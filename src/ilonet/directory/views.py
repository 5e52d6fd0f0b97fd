from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from ilonet import policy
from ilonet.core.paging import paginate

from . import selectors
from .forms import OrganisationFilterForm
from .models import Organisation


@login_required
def organisation_list(request):
    policy.authorize(request.user, policy.Action.VIEW_DIRECTORY)
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = selectors.organisation_list(
        user=request.user, kind=filters.get("kind") or None, search=filters.get("search")
    )
    page = paginate(request, organisations)
    template = (
        "directory/_organisation_table.html" if request.htmx else "directory/organisation_list.html"
    )
    return render(request, template, {"form": form, "page_obj": page})


@login_required
def organisation_detail(request, code: str):
    qs = policy.scope(request.user, policy.Action.VIEW_DIRECTORY, Organisation.objects.all())
    organisation = get_object_or_404(qs.select_related("parent"), code=code)
    children = qs.filter(parent=organisation)
    return render(
        request,
        "directory/organisation_detail.html",
        {"organisation": organisation, "children": children},
    )
