//! The widget's stylesheet, placed inside its shadow root.
//!
//! `:host { all: initial }` stops inherited host styles (font, colour, line height) at the
//! boundary; rules stay inside the shadow root so nothing leaks out. `:focus` rather than
//! `:focus-visible`, which Chromium 83 lacks.
/// The stylesheet text.
pub const CSS: &str = r#"
:host { all: initial; display: block; contain: content; }
.lrc { font: 14px/1.5 system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
  color: #1f2937; background: #fff; border: 1px solid #d1d5db; border-radius: 6px; box-sizing: border-box;
  min-width: 0; max-width: 100%; overflow-wrap: anywhere; }
/* A host rule on the element itself (e.g. `* { letter-spacing }`) beats `:host`; inherited
   properties are therefore reset again on our own root. */
.lrc, .dialog { letter-spacing: normal; word-spacing: normal; text-transform: none; text-indent: 0;
  text-align: left; font-style: normal; white-space: normal; visibility: visible; cursor: auto; }
.lrc *, .lrc *::before, .lrc *::after { box-sizing: border-box; }
.lrc button, .lrc textarea, .lrc input { font: inherit; color: inherit; }
.lrc :focus { outline: 2px solid #1d4ed8; outline-offset: 2px; }
.hd { padding: 10px 12px; border-bottom: 1px solid #e5e7eb; display: flex; flex-wrap: wrap; align-items: baseline; }
.hd > * { margin: 2px 12px 2px 0; }
.hd h2 { font-size: 15px; margin: 0; font-weight: 600; }
.hd .meta { color: #4b5563; font-size: 13px; }
.gate { margin-left: auto; font-weight: 600; padding: 1px 8px; border-radius: 10px; font-size: 13px; }
.gate.ok { background: #dcfce7; color: #166534; } .gate.no { background: #fee2e2; color: #991b1b; }
.steps { list-style: none; margin: 0; padding: 0; }
.step { border-bottom: 1px solid #f3f4f6; }
.step > h3 { margin: 0; font-size: 14px; }
.step-btn { width: 100%; display: flex; align-items: center; padding: 8px 12px; background: #f9fafb;
  border: 0; cursor: pointer; text-align: left; font-weight: 600; }
.step-btn > * + * { margin-left: 8px; }
.step-btn .count { margin-left: auto; font-weight: 400; color: #4b5563; font-size: 13px; }
.step-btn .open { color: #b91c1c; }
.items { list-style: none; margin: 0; padding: 0; }
.item { padding: 8px 12px; border-top: 1px solid #f3f4f6; display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; }
.many > .item { content-visibility: auto; contain-intrinsic-size: 1px 64px; contain-intrinsic-size: auto 1px auto 64px; }
@media print { .many > .item { content-visibility: visible; } }
.item.lazy { min-height: 48px; }
.item .title { font-weight: 500; }
.item .tags { font-size: 13px; text-align: right; }
.item .tags .tag { display: inline-block; margin: 0 0 2px 4px; }
.tag { padding: 0 6px; border-radius: 8px; background: #f3f4f6; color: #374151; white-space: nowrap; }
.st-satisfied { background: #dcfce7; color: #166534; }
.st-acknowledged { background: #ede9fe; color: #5b21b6; }
.st-waived { background: #f3f4f6; color: #4b5563; }
.st-missing, .st-incomplete, .st-overdue, .st-out-of-order { background: #fee2e2; color: #991b1b; }
.st-due-by { background: #fef3c7; color: #92400e; }
.st-not-applicable { background: #f3f4f6; color: #6b7280; }
.st-optional { background: #f3f4f6; color: #4b5563; }
.sv-tag-blocking { background: #fee2e2; color: #991b1b; } .sv-tag-warning { background: #fef3c7; color: #92400e; }
.item .soon { color: #92400e; font-weight: 600; }
.item.acked { border-left: 3px solid #7c3aed; }
.open-items { padding: 6px 12px 8px; border-bottom: 1px solid #e5e7eb; background: #fffbfb; font-size: 13px; }
.open-items h3 { margin: 4px 0 2px; font-size: 13px; }
.open-items h3.no { color: #991b1b; } .open-items h3.warn-h { color: #92400e; }
.open-items ul { margin: 0; padding-left: 18px; }
.open-items li { margin: 2px 0; }
.open-items .link { font-size: 13px; text-align: left; }
.open-items .why { color: #6b7280; font-size: 13px; margin-left: 6px; }
.tools { display: flex; flex-wrap: wrap; align-items: center; padding: 6px 12px; border-bottom: 1px solid #e5e7eb; font-size: 13px; }
.tools > * { margin: 2px 12px 2px 0; }
.tools input[type=search] { padding: 2px 6px; border: 1px solid #9ca3af; border-radius: 4px; min-width: 12em; }
.tools .only-open input { margin: 0 4px 0 0; vertical-align: middle; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.legend { flex-basis: 100%; margin: 4px 0 0; padding: 6px 8px; background: #f9fafb; border: 1px solid #e5e7eb; font-size: 13px;
  display: grid; grid-template-columns: auto 1fr; grid-gap: 2px 8px; }
.legend dt { font-weight: 600; } .legend dd { margin: 0; }
/* Only unmet items carry their severity colour: a done item, or a deadline still running, is
   not an alarm. Borders at 3:1 against white. */
.sv-blocking { border: 1px solid #dc2626; } .sv-warning { border: 1px solid #b45309; } .sv-info { border: 1px solid #6b7280; }
.item .line { grid-column: 1 / -1; font-size: 13px; color: #4b5563; }
.item .late { color: #b91c1c; font-weight: 600; }
.actions { grid-column: 1 / -1; font-size: 13px; }
.actions > * { display: inline-block; margin-right: 12px; vertical-align: middle; }
.link { background: none; border: 0; padding: 0; color: #1d4ed8; text-decoration: underline; cursor: pointer; font-size: 13px; }
.ack-form { grid-column: 1 / -1; display: flex; flex-direction: column; margin-top: 4px; padding: 8px;
  border: 1px solid #c4b5fd; background: #faf5ff; border-radius: 4px; font-size: 13px; }
.ack-form > * { margin-bottom: 4px; }
.ack-form textarea { width: 100%; min-height: 48px; }
.ack-form .hint { color: #4b5563; font-size: 13px; }
.ack-form .row > * { margin-right: 8px; }
.item .line.acked { color: #5b21b6; }
.item .line.given-reason { color: #92400e; }
.cite { grid-column: 1 / -1; margin: 4px 0 0; padding: 6px 8px; background: #eff6ff; border-left: 3px solid #1d4ed8; font-size: 13px; }
.cite p { margin: 2px 0 0; }
.cite .copy { margin-left: 8px; font-size: 13px; }
.cite .copied { margin-left: 6px; color: #166534; font-size: 13px; }
.notes { padding: 8px 12px; font-size: 13px; color: #4b5563; margin: 0; }
.err { margin: 8px; padding: 8px 12px; border: 1px solid #fca5a5; background: #fef2f2; color: #991b1b; border-radius: 4px; }
.err h2 { font-size: 14px; margin: 0 0 4px; }
.err p { margin: 0; }
.support { color: #374151; font-size: 13px; overflow-wrap: anywhere; }
.warn { margin: 8px; padding: 6px 10px; border: 1px solid #fcd34d; background: #fffbeb; color: #92400e; border-radius: 4px; font-size: 13px; }
.empty { padding: 12px; color: #4b5563; }
.dialog::backdrop { background: rgba(17,24,39,.45); }
.dialog { border: 0; background: #fff; color: #1f2937; border-radius: 8px; width: 560px; max-width: calc(100vw - 32px);
  max-height: 90vh; overflow: auto; box-sizing: border-box;
  padding: 16px; box-shadow: 0 10px 30px rgba(0,0,0,.3); font: 14px/1.5 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; }
.dialog h2 { margin: 0 0 8px; font-size: 16px; }
.dialog h3 { margin: 12px 0 4px; font-size: 14px; }
.dialog ul { margin: 0; padding-left: 18px; }
.dialog li { margin: 4px 0; }
.dialog .q { display: block; color: #4b5563; font-size: 13px; }
.dialog textarea { width: 100%; min-height: 64px; margin-top: 4px; }
.dialog .bad { color: #b91c1c; font-size: 13px; }
.dialog .row { display: flex; justify-content: flex-end; margin-top: 12px; flex-wrap: wrap; }
.dialog .row > * { margin: 0 0 4px 8px; }
.btn { padding: 6px 14px; border-radius: 4px; border: 1px solid #9ca3af; background: #fff; cursor: pointer; }
.dialog.sheet { width: 900px; height: 90vh; }
.dialog.sheet[open] { display: flex; flex-direction: column; padding: 12px; }
.dialog.sheet .top { margin: 0 0 8px; align-items: center; justify-content: flex-start; }
.dialog.sheet .top h2 { margin: 0; }
.dialog.sheet .hint { color: #4b5563; font-size: 13px; margin-right: auto; }
.sheet-frame { flex: 1; width: 100%; min-height: 0; border: 1px solid #d1d5db; background: #fff; }
.hd .print { font-size: 13px; }
.btn.primary { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
.media { grid-column: 1 / -1; font-size: 13px; margin-top: 4px; }
/* The browser's own file control says "Choose File / No file chosen" in the browser's language:
   one hidden input per item, opened by a styled button in Chinese. */
.media-control { display: flex; flex-wrap: wrap; align-items: center; margin-top: 4px; }
.media-control > * { margin: 2px 8px 2px 0; }
.media-control input[type=file] { display: none; }
.media-control .pick-btn { color: #1d4ed8; border-color: #1d4ed8; padding: 2px 10px; font-size: 13px; }
.media-control .hint { color: #4b5563; }
.pick-menu { flex-basis: 100%; list-style: none; margin: 2px 0; padding: 4px 8px; border: 1px solid #d1d5db;
  border-radius: 4px; background: #fff; }
.pick-menu li { padding: 2px 0; }
.pick-menu button { text-align: left; }
.files { list-style: none; margin: 4px 0 0; padding: 0; }
.file { display: flex; flex-wrap: wrap; align-items: center; padding: 4px 6px; border: 1px solid #e5e7eb;
  border-radius: 4px; margin-top: 4px; }
.file > * { margin: 1px 8px 1px 0; }
.file .name { font-weight: 500; }
.file progress, .media-total progress { width: 160px; height: 10px; }
.file .line, .file .actions { flex-basis: 100%; }
.digest { flex-basis: 100%; font: 13px/1.4 ui-monospace, Menlo, Consolas, monospace; color: #374151; overflow-wrap: anywhere; }
.problem { color: #991b1b; }
.verify { flex-basis: 100%; font-weight: 600; padding: 2px 6px; border-radius: 4px; }
.verify.match { background: #dcfce7; color: #166534; } .verify.mismatch { background: #fee2e2; color: #991b1b; }
.verify.verifying { background: #eff6ff; color: #1e3a8a; }
.media-total { padding: 6px 12px; font-size: 13px; background: #eff6ff; display: flex; align-items: center; flex-wrap: wrap; }
.media-total > * { margin-right: 8px; }
a.btn, label.btn { display: inline-block; text-decoration: none; color: inherit; font-size: 13px; }
.waived-cfg { color: #6b21a8 !important; font-weight: 600; }
.cfg { padding: 8px 12px; border-top: 1px solid #e5e7eb; font-size: 13px; color: #4b5563; }
.cfg p { margin: 2px 0; }
.cfg .fp { font-family: ui-monospace, "Consolas", monospace; word-break: break-all; }
.cfg-notice { color: #991b1b; background: #fef2f2; border: 1px solid #fca5a5; padding: 4px 8px; border-radius: 4px; }
.admin { padding: 10px 12px; border-bottom: 2px solid #1d4ed8; background: #f8fafc; }
.admin h2 { font-size: 15px; margin: 0 0 6px; }
.admin h3 { font-size: 14px; margin: 10px 0 4px; }
.admin h4 { font-size: 13px; margin: 6px 0 2px; }
.admin .row { display: flex; flex-wrap: wrap; align-items: center; margin: 4px 0; }
.admin .row > * { margin: 2px 8px 2px 0; }
/* A menu is as wide as its longest option (an agency's full name and pack version). A width
   in percent lets it shrink to the panel (a max-width alone does not: the menu's own width
   still widens the page), so admin mode fits a 360-px side panel as the officer's view does;
   max-content keeps it no wider than its options where there is room. */
.admin .row select { width: 100%; max-width: max-content; }
.admin .bad { color: #b91c1c; background: #fef2f2; padding: 4px 8px; border-radius: 4px; margin: 4px 0; }
.admin-status { color: #166534; margin: 4px 0; }
.admin .muted { color: #6b7280; font-size: 13px; margin-left: 8px; }
.admin .q { display: block; color: #4b5563; font-size: 13px; }
.rules-admin { max-height: 420px; overflow: auto; border: 1px solid #e5e7eb; background: #fff; margin-top: 4px; }
.rules-admin .tools { position: sticky; top: 0; z-index: 1; background: #fff; border-bottom: 1px solid #e5e7eb;
  display: flex; flex-wrap: wrap; align-items: center; padding: 2px 4px; }
.rules-admin .tools > * { margin: 2px 10px 2px 0; }
.rules-admin .tools .muted { margin-left: 0; }
.rules .preview { color: #1e3a8a; background: #eff6ff; padding: 2px 6px; border-radius: 4px; }
.rules .row-error { font-size: 13px; }
.rules { list-style: none; margin: 0; padding: 0; font-size: 13px; }
.rules .rule { border-top: 1px solid #f3f4f6; padding: 6px 8px; }
.rules .rule > * { display: block; margin-top: 2px; }
.rules .rt { font-weight: 500; font-size: 13px; }
.rules .meta { color: #4b5563; }
.rules .rid { color: #6b7280; font-size: 13px; }
.rules .edit { display: flex; flex-wrap: wrap; align-items: center; }
.rules .edit > * { margin: 2px 4px 2px 0; }
.rules .reason { flex: 1 1 10em; min-width: 8em; }
.log { margin: 4px 0; padding-left: 20px; font-size: 13px; }
.import { border: 1px dashed #9ca3af; padding: 6px 8px; margin-top: 6px; font-size: 13px; }
.diff ul { margin: 0; padding-left: 18px; }
.diff.added h4 { color: #166534; } .diff.removed h4 { color: #991b1b; } .diff.changed h4 { color: #92400e; }
@media print { .admin { display: none; } }
/* The host page printed (Ctrl+P with no preview open, or the browser's menu): only a note, never
   a cut frame of the checklist; the 核查表 prints from its own frame. */
.print-note { display: none; }
@media print {
  :host { contain: none; }
  .lrc { border: 0; }
  .lrc > * { display: none !important; }
  .lrc > .print-note { display: block !important; margin: 0; padding: 4px 0; font-size: 12pt; color: #000; }
}
"#;

#[cfg(test)]
mod tests {
    /// Office browsers run Chromium 83 cores, which ignore `gap` in a flex container (it came
    /// in Chromium 84): spacing there must come from margins, or items run together.
    #[test]
    fn no_gap_in_flex_containers() {
        for rule in super::CSS.split('}') {
            let Some((selector, body)) = rule.split_once('{') else { continue };
            let flex = body.contains("display: flex") || body.contains("display: inline-flex");
            assert!(!(flex && body.contains("gap:")), "`{}` uses gap in a flex container", selector.trim());
        }
    }
}
