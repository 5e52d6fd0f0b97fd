from ilonet import policy
from ilonet.api.routing import PolicyRouter

router = PolicyRouter(tags=["exchange"])
A = policy.Action
PAGE = 50
