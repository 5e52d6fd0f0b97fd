"""``{{ assignment|role_scope }}``: the scope of a role as people read it (``scopes.describe``)."""

from django import template

from ilonet.accounts import scopes

register = template.Library()


@register.filter
def role_scope(assignment) -> str:
    return scopes.describe(assignment) if assignment.organisation_id or assignment.scope_ref else ""
