"""The probe's view of the public endpoint: an unsigned POST, as an outsider would send it."""

from __future__ import annotations

import urllib.error
import urllib.request


def post_unsigned(url: str, timeout: float) -> tuple[int | None, str]:
    """(HTTP status, "") for any answer, or (None, why) when nothing answered."""
    request = urllib.request.Request(url, data=b'{"type":1}', method="POST",
                                     headers={"content-type": "application/json", "user-agent": "valine-probe"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (our own https URL)
            return int(response.status), ""
    except urllib.error.HTTPError as exc:
        return int(exc.code), ""
    except (urllib.error.URLError, OSError) as exc:
        return None, f"no answer ({type(exc).__name__})"
