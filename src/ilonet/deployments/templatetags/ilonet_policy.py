"""``{% may "deployments.view" as may_view %}``: ask the policy module from a template (for
showing a link or a button; the view asks again before doing anything)."""

from django import template

from ilonet import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, action: str, obj=None) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return policy.can(user, policy.Action(action), obj)


@register.filter
def phone_display(e164: str) -> str:
    from ilonet.deployments.validators import display_phone

    return display_phone(e164)
