"""Shapes of the exchange's API."""

from datetime import date, datetime

from ninja import Field, Schema

from ilonet.api.schemas import SingleLine, StrictDate, StrictSchema

from ..models import Category, Document, Language, Marking, SpaceKind, Topic


class SpaceOut(Schema):
    id: int
    kind: SpaceKind
    name: str
    description: str
    network_id: int | None
    documents: int = 0


class FolderOut(Schema):
    id: int
    space_id: int
    parent_id: int | None
    name: str


class VersionOut(Schema):
    number: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    note: str
    restored_from: int | None = None
    guard_overridden: bool
    uploaded_by: str | None
    uploaded_at: datetime

    @staticmethod
    def resolve_restored_from(obj) -> int | None:
        return obj.restored_from.number if obj.restored_from_id else None

    @staticmethod
    def resolve_uploaded_by(obj) -> str | None:
        return str(obj.uploaded_by) if obj.uploaded_by_id else None


class DocumentOut(Schema):
    id: int
    space_id: int
    folder_id: int | None
    title: str
    description: str
    authors: str
    language: Language
    tags: list[str]
    category: Category
    marking: Marking
    topics: list[Topic]
    expires_on: date | None
    guard_overridden: bool
    checked_out_by: str | None
    checked_out_at: datetime | None
    version: int | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_tags(obj: Document) -> list[str]:
        return obj.tag_list

    @staticmethod
    def resolve_topics(obj: Document) -> list[str]:
        return [t.topic for t in obj.topics.all()]

    @staticmethod
    def resolve_checked_out_by(obj: Document) -> str | None:
        return str(obj.checked_out_by) if obj.checked_out_by_id else None

    @staticmethod
    def resolve_version(obj: Document) -> int | None:
        return obj.current_version.number if obj.current_version_id else None


class DocumentFields(Schema):
    """The metadata sent with an upload (multipart form fields)."""

    title: SingleLine = Field(..., min_length=1, max_length=200)
    category: str = Field(..., max_length=16)
    marking: str = Field(..., max_length=32, description="public, normal, limited or sensitive (Art. 9(1))")
    folder_id: int | None = Field(None, ge=1, le=2**63 - 1)
    description: str = Field("", max_length=4000)
    authors: SingleLine = Field("", max_length=300)
    language: str = Field("en", max_length=8)
    tags: SingleLine = Field("", max_length=300)
    topics: list[str] = Field(default_factory=list, max_length=12)
    expires_on: StrictDate | None = None
    overrides: list[str] = Field(
        default_factory=list, max_length=200, description="Fingerprints of findings judged false (Art. 9(3))"
    )
    override_reason: str = Field("", max_length=1000)


class VersionFields(Schema):
    note: SingleLine = Field("", max_length=500)
    overrides: list[str] = Field(default_factory=list, max_length=200)
    override_reason: str = Field("", max_length=1000)


class DocumentPatch(StrictSchema):
    title: SingleLine | None = Field(None, min_length=1, max_length=200)
    description: str | None = Field(None, max_length=4000)
    authors: SingleLine | None = Field(None, max_length=300)
    language: str | None = Field(None, max_length=8)
    tags: SingleLine | None = Field(None, max_length=300)
    category: str | None = Field(None, max_length=16)
    marking: str | None = Field(None, max_length=32)
    topics: list[str] | None = Field(None, max_length=12)
    expires_on: StrictDate | None = None


class MoveIn(StrictSchema):
    folder_id: int | None = Field(None, ge=1, le=2**63 - 1)


class RestoreIn(StrictSchema):
    expires_on: StrictDate | None = None


class FolderIn(StrictSchema):
    name: SingleLine = Field(..., min_length=1, max_length=200)
    parent_id: int | None = Field(None, ge=1, le=2**63 - 1)


class WorkingGroupIn(StrictSchema):
    name: SingleLine = Field(..., min_length=1, max_length=200)
    description: str = Field("", max_length=2000)


class MemberIn(StrictSchema):
    user_id: int = Field(..., ge=1, le=2**63 - 1)
    is_manager: bool = False


class OpeningIn(StrictSchema):
    motion_id: int = Field(..., ge=1, le=2**63 - 1)
    space_id: int | None = Field(None, ge=1, le=2**63 - 1)
    folder_id: int | None = Field(None, ge=1, le=2**63 - 1)
    document_id: int | None = Field(None, ge=1, le=2**63 - 1)


class OpeningOut(Schema):
    id: int
    space_id: int | None
    folder_id: int | None
    document_id: int | None
    title: str
    motion_id: int
    motion_title: str
    opened_at: datetime
    withdrawn_at: datetime | None

    @staticmethod
    def resolve_title(obj) -> str:
        return str(obj.target)


class AuthorisationIn(StrictSchema):
    user_id: int = Field(..., ge=1, le=2**63 - 1)
    motion_id: int = Field(..., ge=1, le=2**63 - 1)


class AuthorisationOut(Schema):
    id: int
    user_id: int
    user: str
    motion_id: int
    motion_title: str
    granted_at: datetime
    revoked_at: datetime | None

    @staticmethod
    def resolve_user(obj) -> str:
        return str(obj.user)


class SearchHitOut(Schema):
    id: int
    title: str  # HTML-escaped, the query's words in <mark>
    snippet: str  # HTML-escaped, the query's words in <mark>
    space_id: int
    folder_id: int | None
    language: str
    date: date | None
    category: str
    topics: list[str]
    score: float


class SearchOut(Schema):
    count: int
    count_capped: bool
    page: int
    per_page: int
    results: list[SearchHitOut]


class FollowIn(StrictSchema):
    """One of: a space, a folder, a topic of Art. 3(4) (its letter)."""

    space_id: int | None = Field(None, ge=1, le=2**63 - 1)
    folder_id: int | None = Field(None, ge=1, le=2**63 - 1)
    topic: Topic | None = None


class FollowOut(Schema):
    id: int
    kind: str
    space_id: int | None
    folder_id: int | None
    topic: str
    name: str

    @staticmethod
    def resolve_space_id(obj) -> int | None:
        return obj.space.pk if obj.space else None

    @staticmethod
    def resolve_folder_id(obj) -> int | None:
        return obj.folder.pk if obj.folder else None

    @staticmethod
    def resolve_name(obj) -> str:
        if obj.folder:
            return obj.folder.name
        return obj.space.name if obj.space else obj.topic
