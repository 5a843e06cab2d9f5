from .organization import (  # noqa: F401
    LEGAL_FORM_CODE_CHARACTER, REGISTERED_LEGAL_FORMS, FormerName, LegalForm, Organization,
)
from .status import ACTIVE_STATUSES, ENDED_STATUSES, Status, StatusEvent  # noqa: F401
from .supervision import (  # noqa: F401
    AnnualInspection, CreditListEntry, EvaluationGrade, grade_valid_until,
)
from .taxonomy import Area, Department, ServiceField  # noqa: F401
from .transferred import TransferredService  # noqa: F401
from .pages import DirectoryPage, ServicesPage  # noqa: F401
