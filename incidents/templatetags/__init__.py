"""Template filters of the incidents app (load them with ``{% load bidi %}``)."""
