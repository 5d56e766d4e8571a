"""Takes the README's screenshot of the widget: ``.venv/bin/python scripts/widget_screenshot.py``.

Starts the assistant and the demo shop on free ports with a throwaway
database, holds the start of a return in headless Chromium, and saves
``docs/widget.png``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from bot.launch import REPO_ROOT, current_model, free_port, start_assistant

FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="returnbot-shot-"))
    store_port = free_port()
    env = dict(os.environ, RETURNBOT_DB_URL=f"sqlite:///{work / 'shot.db'}",
               RETURNBOT_WIDGET_ORIGINS=f"http://127.0.0.1:{store_port}")  # fmt: skip
    returnbot = str(Path(sys.executable).parent / "returnbot")
    subprocess.run([returnbot, "demo", "seed"], env=env, check=True, capture_output=True)
    with (
        start_assistant(env, current_model(), work, store_port=store_port) as services,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=FLAGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 820}, locale="en-GB")
        page.goto(services.store_url)
        page.get_by_test_id("order-help").click()
        for text, wait_for in (
            ("Hi! The mug from order 100482 arrived broken", "email"),
            ("jane.doe@example.com", "how many"),
        ):
            page.get_by_test_id("rb-input").fill(text)
            page.get_by_test_id("rb-input").press("Enter")
            reply = page.locator(".rb-msg.rb-bot").filter(has_text=wait_for)
            expect(reply.last).to_be_visible(timeout=30_000)
        page.get_by_test_id("rb-choice").filter(has_text="1").first.click()
        expect(page.get_by_test_id("rb-choice").filter(has_text="Refund")).to_be_visible()
        target = REPO_ROOT / "docs" / "widget.png"
        page.screenshot(path=str(target))
        browser.close()
    print(f"saved {target.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
