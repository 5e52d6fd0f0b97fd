"""What a user follows on the exchange: a space, a folder (with its subfolders) or a topic of
Art. 3(4). Followers are told of new documents and new versions there, and of submitted
situation reports on the topic, through the notification centre (only if they may open them)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .spaces import Folder, Space
from .vocab import Topic


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    space = models.ForeignKey(
        Space, verbose_name=_("space"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    folder = models.ForeignKey(
        Folder, verbose_name=_("folder"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    topic = models.CharField(_("topic (Art. 3(4))"), max_length=1, choices=Topic.choices, blank=True)
    created_at = models.DateTimeField(_("followed since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(space__isnull=False, folder__isnull=True, topic="")
                    | Q(space__isnull=True, folder__isnull=False, topic="")
                    | (Q(space__isnull=True, folder__isnull=True) & ~Q(topic=""))
                ),
                name="follow_one_subject",
            ),  # fmt: skip
            models.UniqueConstraint(
                fields=["user", "space"], condition=Q(space__isnull=False), name="follow_space_once"
            ),
            models.UniqueConstraint(
                fields=["user", "folder"], condition=Q(folder__isnull=False), name="follow_folder_once"
            ),
            models.UniqueConstraint(
                fields=["user", "topic"], condition=~Q(topic=""), name="follow_topic_once"
            ),
        ]
        indexes = [models.Index(fields=["topic"], name="follow_topic_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.space_id or self.folder_id or self.topic}"
