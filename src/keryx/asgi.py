"""The ASGI application granian serves (``keryx serve`` / ``keryx web``).

Django answers everything except the tracked-link redirect ``/r/<code>``, which a small router
in front of it answers from memory (``keryx.links.redirect.asgi``); the router also runs the
ASGI lifespan (load links at start, write queued clicks at shutdown).
"""

import os

from keryx.lean import skip_unused_clients

skip_unused_clients()

from django.core.asgi import get_asgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keryx.settings.production")

django_application = get_asgi_application()

# Imported after Django is set up: the router reads settings and models.
from keryx.links.redirect.asgi import RedirectRouter  # noqa: E402

application = RedirectRouter(django_application)
