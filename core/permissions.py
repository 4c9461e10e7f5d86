"""The registry of named permission checks that templates ask for by name.

Each app registers its ``can_<verb>_<model>(user, obj) -> bool`` functions in its
``AppConfig.ready()``; ``{% can "change_meeting" meeting as allowed %}`` then finds
``can_change_meeting``. Two different checks with one name are an error at start-up,
and so is asking for a name nobody registered: neither may silently pick a check.
"""

from collections.abc import Callable
from types import ModuleType

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

PREFIX = "can_"

Check = Callable[..., bool]


class PermissionRegistry:
    def __init__(self):
        self._checks: dict[str, Check] = {}

    def register(self, *checks: Check) -> None:
        """Register checks under their function name without ``can_``.

        Registering the very same function again changes nothing; another function under
        a name already taken is refused.
        """
        for check in checks:
            name = getattr(check, "__name__", "")
            if not name.startswith(PREFIX):
                raise ImproperlyConfigured(
                    f"A permission check must be a function named {PREFIX}<verb>_<model>, "
                    f"not {check!r}."
                )
            key = name.removeprefix(PREFIX)
            registered = self._checks.get(key)
            if registered is not None and registered is not check:
                raise ImproperlyConfigured(
                    f"Two permission checks are named {name}: "
                    f"{_where(registered)} and {_where(check)}."
                )
            self._checks[key] = check

    def register_module(self, module: ModuleType) -> None:
        """Register every ``can_*`` function defined in ``module`` (not those it imports)."""
        self.register(
            *(
                value
                for name, value in vars(module).items()
                if name.startswith(PREFIX)
                and callable(value)
                and getattr(value, "__module__", None) == module.__name__
            )
        )

    def get(self, name: str) -> Check:
        """The check registered as ``name`` ("change_meeting" for ``can_change_meeting``)."""
        try:
            return self._checks[name]
        except KeyError:
            raise ImproperlyConfigured(
                f"No permission check is registered as {name!r} ({PREFIX}{name})."
            ) from None

    def names(self) -> set[str]:
        return set(self._checks)


def _where(check: Check) -> str:
    return f"{check.__module__}.{check.__qualname__}"


registry = PermissionRegistry()


class Frozen(PermissionDenied):
    """Refused because the record is closed — signed, approved, confirmed or decided —
    not because of who asks: the message says so and what to do (reopen it first).

    The 403 page shows the message, so the user learns why rather than meeting a bare
    "not allowed".
    """

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)
