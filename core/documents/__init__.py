"""Official documents: one model (``core.documents.model``), two renderers (PDF, Word).

The old template- and call-based layer (``legacy``) is being replaced by the model
and its renderers.
"""

from core.documents.legacy import *  # noqa: F403 (transitional re-export)
from core.documents.legacy import (  # noqa: F401 (transitional re-export)
    _allowed_roots,
    render_pdf,
)
