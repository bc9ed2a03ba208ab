"""The sheet of voting codes to print and cut: eight cards to an A4 page, each
with the vote, its code in letters easy to read aloud, the address to vote at
and a QR code that opens the ballot with the code filled in (segno makes its
modules, drawn as vectors, a rectangle per run of dark ones). The codes exist
in plain text only here, in the response that made them: the database keeps
digests."""

import io

import segno
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from wagtail_dialog.methods.votes import secrecy

COLUMNS, ROWS = 2, 4


def _pieces(canvas, word, font, size, width):
    """A word too wide for a line (an address) in pieces that fit."""
    pieces, piece = [], ""
    for character in word:
        if piece and canvas.stringWidth(piece + character, font, size) > width:
            pieces.append(piece)
            piece = ""
        piece += character
    return [*pieces, piece] if piece else pieces


def _wrap(canvas, text, font, size, width):
    """``text`` in lines no wider than ``width`` points."""
    words, lines, line = [], [], ""
    for word in str(text).split():
        words.extend(_pieces(canvas, word, font, size, width))
    for word in words:
        trial = f"{line} {word}".strip()
        if canvas.stringWidth(trial, font, size) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _qr(canvas, text, x, y, size):
    """A QR code of ``text`` with its lower left corner at (``x``, ``y``), ``size`` points wide, with the
    quiet zone of four modules that scanners need."""
    matrix = segno.make_qr(text, error="m").matrix
    modules = len(matrix) + 8
    step = size / modules
    path = canvas.beginPath()
    for row_number, row in enumerate(matrix):
        top = y + size - (row_number + 4) * step
        column = 0
        while column < len(row):
            if row[column]:
                start = column
                while column < len(row) and row[column]:
                    column += 1
                path.rect(x + (start + 4) * step, top - step, (column - start) * step, step)
            else:
                column += 1
    canvas.setFillGray(0)
    canvas.drawPath(path, stroke=0, fill=1)


def code_sheet(vote, batch, plain_codes, ballot_url, closes_on=None, compress=True):
    """The PDF (bytes) of ``plain_codes`` from ``batch``; ``ballot_url`` is the ballot's full address,
    to which each QR code adds its own code."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1 if compress else 0)
    canvas.setTitle(_("Voting codes: %(vote)s") % {"vote": vote.title})
    canvas.setAuthor(batch.label)
    page_width, page_height = A4
    card_width, card_height = page_width / COLUMNS, page_height / ROWS
    margin, qr_size = 6 * mm, 30 * mm
    text_width = card_width - 3 * margin - qr_size
    closing = _("Vote by %(date)s.") % {"date": date_format(closes_on, "j F Y")} if closes_on else ""
    secret = _("The code is not linked to you: no one can see what you vote. You can change your vote with "
               "the same code until the vote closes.")
    per_page = COLUMNS * ROWS
    for index, code in enumerate(plain_codes):
        if index and index % per_page == 0:
            canvas.showPage()
        column, row = index % COLUMNS, (index % per_page) // COLUMNS
        left, top = column * card_width, page_height - row * card_height
        # Cut lines, light and dashed.
        canvas.setDash(2, 3)
        canvas.setStrokeGray(0.6)
        canvas.rect(left, top - card_height, card_width, card_height)
        canvas.setDash()
        canvas.setFillGray(0)
        y = top - margin - 10
        for line in _wrap(canvas, vote.title, "Helvetica-Bold", 11, card_width - 2 * margin)[:2]:
            canvas.setFont("Helvetica-Bold", 11)
            canvas.drawString(left + margin, y, line)
            y -= 13
        y -= 4
        canvas.setFont("Helvetica", 9)
        canvas.drawString(left + margin, y, _("Your voting code:"))
        y -= 20
        canvas.setFont("Courier-Bold", 17)
        canvas.drawString(left + margin, y, secrecy.shown(code))
        y -= 16
        canvas.setFont("Helvetica", 8)
        for line in _wrap(canvas, _("Vote at %(address)s or scan the QR code.") % {"address": ballot_url},
                          "Helvetica", 8, text_width)[:4]:
            canvas.drawString(left + margin, y, line)
            y -= 10
        for line in _wrap(canvas, f"{closing} {secret}".strip(), "Helvetica", 7, text_width)[:5]:
            canvas.setFont("Helvetica", 7)
            canvas.drawString(left + margin, y, line)
            y -= 9
        canvas.setFont("Helvetica", 6)
        canvas.setFillGray(0.35)
        canvas.drawString(left + margin, top - card_height + margin / 2, batch.label[:80])
        canvas.setFillGray(0)
        _qr(canvas, f"{ballot_url}?code={code}", left + card_width - margin - qr_size,
            top - card_height + margin + 4, qr_size)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
