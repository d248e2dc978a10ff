"""The page shell (style, sign-out form) and the sign-in pages, as HTML strings (pure)."""

from __future__ import annotations

from html import escape

STYLE = """
body{font-family:'Noto Sans CJK JP','Noto Sans JP',sans-serif;margin:0;color:#1f2328;
background:#f6f8fa}
header{background:#1f4e79;color:#fff;padding:14px 24px}
header h1{font-size:20px;margin:0 0 4px}
main{padding:16px 24px;max-width:1200px}
section{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:12px 16px;
margin-bottom:16px}
h2{font-size:17px;margin:4px 0 10px;border-left:5px solid #1f4e79;padding-left:8px}
h3{font-size:14px;margin:12px 0 6px}
table{border-collapse:collapse;font-size:13px;margin-bottom:8px}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:right;white-space:nowrap}
th{background:#ddebf7}
td.name,th.name{text-align:left;white-space:normal}
.grid{display:flex;flex-wrap:wrap;gap:16px}
.note{color:#666;font-size:12px}
nav form{display:inline}
nav a,nav button{margin-left:8px}
"""


def page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body>{body}</body></html>"
    )


def login_page(login_url: str) -> str:
    return page(
        "サインイン｜目標・評価指標",
        "<header><h1>重層的支援体制整備事業 目標・評価指標</h1>"
        "<div>市職員（city_official）、または委託先機関の管理者（自機関の月次件数）の"
        "アカウントでサインインしてください</div></header>"
        "<main><section><h2>サインイン</h2>"
        f'<p><a id="sign-in" href="{escape(login_url)}">サインイン</a>'
        "（認証基盤 Keycloak の画面へ移動します）</p>"
        '<p class="note">開発環境のデモアカウント: city-official（パスワードは README）</p>'
        "</section></main>",
    )


def logout_form(csrf_token: str) -> str:
    return (
        '<form method="post" action="/dashboard/logout">'
        f'<input type="hidden" name="csrf_token" value="{escape(csrf_token)}">'
        '<button type="submit" id="sign-out">サインアウト</button></form>'
    )


def forbidden_page(csrf_token: str) -> str:
    return page(
        "権限がありません",
        "<header><h1>権限がありません / forbidden</h1></header><main><section>"
        "<p>この画面は市職員（city_official）と委託先機関の管理者（自機関の月次件数のみ）が"
        "閲覧できます。</p>" + logout_form(csrf_token) + "</section></main>",
    )


def sign_in_error_page(message: str) -> str:
    return page(
        "サインインできません",
        "<header><h1>サインインできません</h1></header><main><section>"
        f'<p role="alert">{escape(message)}</p>'
        '<p><a href="/dashboard">ダッシュボードへ戻る</a></p></section></main>',
    )
