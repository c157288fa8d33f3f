"""A selfie made safe to keep: sniffed by content, bounded, re-encoded without metadata.

- The declared type and the file name are ignored: Pillow must recognise the bytes as JPEG,
  PNG or WebP (a text file named ``.jpg`` is refused).
- Bytes over the cap are refused before Pillow sees them; pixels over the cap (a
  decompression bomb: a small PNG that decodes to 20,000 x 20,000) are refused from the
  header, before a pixel is decoded.
- The image is turned upright by its EXIF orientation, scaled down to at most
  ``max_side`` pixels a side and re-encoded as a fresh JPEG: EXIF (GPS included), ICC, XMP
  and text chunks are not carried over, and the stored file is one uniform kind.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from common.errors import DomainError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
STORED_TYPE = "image/jpeg"
JPEG_QUALITY = 85


class SelfieTooLarge(DomainError):
    status_code = 413


class NotAnImage(DomainError):
    status_code = 415


class ImageTooBig(DomainError):
    status_code = 422


@dataclass(frozen=True)
class CleanSelfie:
    data: bytes
    width: int
    height: int
    content_type: str = STORED_TYPE


def clean_selfie(data: bytes, *, max_bytes: int, max_pixels: int, max_side: int) -> CleanSelfie:
    """The selfie as it will be stored, or the 4xx saying why not (CPU-bound: run in a thread)."""
    if len(data) > max_bytes:
        raise SelfieTooLarge(
            f"The selfie is larger than {max_bytes:,} bytes; send a smaller photo."
        )
    if not data:
        raise NotAnImage("The selfie is empty: attach a JPEG, PNG or WebP photo.")
    try:
        with Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS) as image:
            if image.width * image.height > max_pixels:
                raise ImageTooBig(
                    f"The selfie is {image.width} x {image.height} pixels; at most "
                    f"{max_pixels:,} pixels are accepted."
                )
            image.load()
            return _reencoded(image, max_side)
    except (UnidentifiedImageError, SyntaxError) as exc:
        raise NotAnImage("The selfie is not a JPEG, PNG or WebP image.") from exc
    except Image.DecompressionBombError as exc:  # Pillow's own guard (lowered in main.py)
        raise ImageTooBig(f"The selfie decodes to too many pixels: {exc}") from exc
    except (OSError, ValueError) as exc:  # truncated or corrupt
        raise NotAnImage(f"The selfie could not be read as an image ({exc}).") from exc


def _reencoded(image: Image.Image, max_side: int) -> CleanSelfie:
    upright = ImageOps.exif_transpose(image)
    upright.thumbnail((max_side, max_side))
    if upright.mode != "RGB":
        upright = _flattened(upright)
    out = io.BytesIO()
    upright.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=False)
    return CleanSelfie(out.getvalue(), upright.width, upright.height)


def _flattened(image: Image.Image) -> Image.Image:
    """RGB on white (JPEG has no transparency)."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background
