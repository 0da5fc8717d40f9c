"""Waiting for a condition in the page without the page's ``eval``.

The browser tests run under the production Content-Security-Policy, whose
script-src has no 'unsafe-eval'. Playwright's ``page.wait_for_function`` given an
expression string polls by evaluating that string with the page's own ``eval``,
which the policy refuses (an EvalError, and a violation report). ``page.evaluate``
does not: Playwright compiles what it is given over the DevTools protocol, which
the page's policy does not govern. So where no ``expect(...)`` assertion or
``page.wait_for_url`` says what a test waits for, ``wait_until`` polls a function
from Python with ``page.evaluate``. (Given a function rather than an expression,
wait_for_function happens not to need eval in Playwright 1.65; the tests do not use
it at all, so that a string expression cannot slip in.)
"""

import time

# The same as Playwright's default timeout for page.wait_for_function.
DEFAULT_TIMEOUT = 30


def wait_until(page, function: str, arg=None, timeout: float = DEFAULT_TIMEOUT):
    """Poll the JavaScript ``function`` (called with ``arg``) until it is truthy.

    Returns its truthy value; fails the test after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while not (value := page.evaluate(function, arg)):
        assert time.monotonic() < deadline, (
            f"timed out after {timeout} s waiting for {function}"
        )
        page.wait_for_timeout(50)
    return value
