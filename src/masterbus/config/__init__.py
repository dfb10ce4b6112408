"""Django project configuration: settings per environment, URLs, WSGI/ASGI and the launcher."""
