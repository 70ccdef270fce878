"""The ASGI application granian serves (``keryx serve`` / ``keryx web``).

Django answers everything except the fast paths that apps mount on the ASGI front
(``keryx.core.asgi``: the tracked-link redirect, the Server-Sent Events streams); the front
also runs the ASGI lifespan hooks the apps register.
"""

import os

from keryx.lean import skip_unused_clients

skip_unused_clients()

from django.core.asgi import get_asgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keryx.settings.production")

django_application = get_asgi_application()

# Imported after Django is set up: the apps have registered their mounts in ready(); static
# files and media are answered in front of everything, with their security headers.
from keryx.core.asgi import build_application  # noqa: E402
from keryx.core.files import files_in_front  # noqa: E402

application = files_in_front(build_application(django_application))
