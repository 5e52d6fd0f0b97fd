"""``{% board_may "board.manage" as may_manage %}``: ask the policy module from a template (to
show a link or a button; the view asks again before doing anything)."""

from django import template

from ilonet import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def board_may(context, action: str, obj=None) -> bool:
    request = context.get("request")
    return policy.can(getattr(request, "user", None), policy.Action(action), obj)
