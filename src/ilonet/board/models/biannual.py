"""What the biannual work programme and activity report share (Art. 8(2))."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- work programme, evaluation, ad-hoc actions, training (Art. 8(2)-(3)) ---------------------


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ADOPTED = "adopted", _("Adopted")
