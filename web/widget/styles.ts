// Styles of the widget, scoped to its shadow root so the host page and the widget never
// restyle each other.
export const WIDGET_CSS = `
:host { all: initial; }
* { box-sizing: border-box; }
.root { font: 14px/1.45 -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', 'PingFang SC', 'Noto Sans CJK SC', sans-serif; color: #1d2330; }
button, textarea { font: inherit; color: inherit; }
.launcher { position: fixed; right: 20px; bottom: 20px; z-index: 2147483000; width: 56px; height: 56px; border-radius: 50%;
  border: none; background: #2f5bea; color: #fff; cursor: pointer; box-shadow: 0 6px 20px rgba(20,40,120,.3);
  display: grid; place-items: center; }
.launcher:focus-visible, button:focus-visible, textarea:focus-visible { outline: 3px solid #9db4ff; outline-offset: 2px; }
.launcher .icon { display: grid; place-items: center; }
.launcher svg { width: 26px; height: 26px; }
.dot { position: absolute; top: -2px; right: -2px; min-width: 20px; height: 20px; padding: 0 5px; border-radius: 10px;
  background: #d93f3f; color: #fff; font-size: 11px; font-weight: 700; display: grid; place-items: center; }
.dot[hidden] { display: none; }
.panel { position: fixed; right: 20px; bottom: 88px; z-index: 2147483000; width: 370px; height: min(600px, calc(100vh - 110px));
  background: #fff; border-radius: 14px; box-shadow: 0 12px 40px rgba(20,30,60,.25); display: flex; flex-direction: column; overflow: hidden; }
.panel[hidden] { display: none; }
.head { background: #2f5bea; color: #fff; padding: 12px 14px; display: flex; align-items: center; gap: 10px; }
.head h2 { margin: 0; font-size: 16px; font-weight: 600; }
.head p { margin: 0; font-size: 12px; opacity: .85; }
.head .titles { flex: 1; min-width: 0; }
.close { border: none; background: transparent; color: #fff; width: 36px; height: 36px; border-radius: 8px; cursor: pointer; font-size: 22px; line-height: 1; }
.close:hover { background: rgba(255,255,255,.15); }
.log { flex: 1; overflow-y: auto; padding: 14px; display: flex; flex-direction: column; gap: 8px; background: #f5f6f8; }
.empty { color: #677085; text-align: center; margin: auto 0; padding: 20px; }
.msg { max-width: 82%; display: flex; flex-direction: column; }
.msg.mine { align-self: flex-end; align-items: flex-end; }
.msg.theirs { align-self: flex-start; }
.bubble { padding: 8px 11px; border-radius: 14px; white-space: pre-wrap; overflow-wrap: anywhere; }
.mine .bubble { background: #2f5bea; color: #fff; border-bottom-right-radius: 4px; }
.theirs .bubble { background: #fff; border: 1px solid #e3e6eb; border-bottom-left-radius: 4px; }
.msg.pending .bubble { opacity: .7; }
.original-toggle { background: none; border: 0; padding: 2px 0; color: #2f5bea; font: inherit; font-size: 11px; cursor: pointer; align-self: flex-start; }
.meta { font-size: 11px; color: #677085; margin-top: 2px; }
.tick { margin-left: 4px; }
.typing { min-height: 18px; padding: 0 14px; font-size: 12px; color: #677085; font-style: italic; background: #f5f6f8; }
.composer { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #e3e6eb; align-items: flex-end; background: #fff; }
.composer textarea { flex: 1; resize: none; border: 1px solid #d5d9e0; border-radius: 10px; padding: 9px 11px; max-height: 120px; min-height: 40px; font-size: 16px; }
.send { border: none; background: #2f5bea; color: #fff; border-radius: 10px; padding: 0 14px; height: 40px; cursor: pointer; font-weight: 600; }
.attach { flex: none; width: 40px; height: 40px; border-radius: 10px; display: grid; place-items: center; cursor: pointer; color: #4a5266; }
.attach:hover { background: #eef1f6; }
.attach:focus-within { outline: 3px solid #9db4ff; outline-offset: 2px; }
.attach svg { width: 22px; height: 22px; }
.panel.dropping .log { outline: 3px dashed #9db4ff; outline-offset: -6px; }
.files { display: flex; flex-direction: column; gap: 4px; margin-bottom: 2px; max-width: 100%; }
.file-image img { display: block; max-width: min(240px, 100%); max-height: 240px; border-radius: 10px; border: 1px solid #e3e6eb; background: #fff; }
.file-link { display: flex; gap: 8px; align-items: baseline; padding: 8px 11px; border-radius: 12px; background: #fff; border: 1px solid #e3e6eb; color: #1d2330; text-decoration: none; overflow-wrap: anywhere; }
.mine .bubble.file-link { background: #fff; color: #1d2330; }
.file-name { font-weight: 600; }
.file-size { font-size: 11px; color: #677085; white-space: nowrap; }
.bubble.empty-text { display: none; }
.upload progress { width: 90px; height: 6px; vertical-align: middle; }
.upload.failed .meta { color: #b3261e; }
.dismiss { border: none; background: none; color: inherit; cursor: pointer; font-size: 16px; padding: 0 4px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 480px) {
  .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; right: 0; bottom: 0; }
  .launcher.open { display: none; }
}
`;
