import pytest

from advocacy.markup import render, word_diff


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("One.\n\nTwo.", "<p>One.</p>\n<p>Two.</p>"),
        ("Line one\nline two", "<p>Line one<br>line two</p>"),
        ("- first\n- second", "<ul><li>first</li><li>second</li></ul>"),
        ("**strong** and *soft*", "<p><strong>strong</strong> and <em>soft</em></p>"),
        (
            "[site](https://example.org/a?b=1&c=2)",
            '<p><a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener">site</a></p>',
        ),
        ("نص **عريض**", "<p>نص <strong>عريض</strong></p>"),
        ("", ""),
    ],
)
def test_allowed_marks(text, html):
    assert render(text) == html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        '[x](https://a.org/" onmouseover="alert(1))',
        "<a href='https://evil.example'>x</a>",
        "**<b onclick=alert(1)>x</b>**",
    ],
)
def test_everything_else_is_text(text):
    html = render(text)
    assert "<script" not in html and "<img" not in html and "<b " not in html
    assert "javascript:" not in html.split("href=")[-1] or "href" not in html
    assert "data:text" not in html or "href" not in html
    assert 'onmouseover="' not in html and 'onerror="' not in html
    assert 'href="https://a.org/"' not in html


def test_word_diff_escapes_and_marks_changes():
    html = word_diff("We ask <b>donors</b> to act.", "We ask donors to act now.")
    assert "<del>&lt;b&gt;donors&lt;/b&gt;</del>" in html
    assert "<ins>" in html and "<b>" not in html
