// The exec page's terminal: xterm.js (vendored under lib/xterm) fitted to its box. Keystrokes and
// sizes go to .NET (ExecTerminal), output comes back as bytes; nothing here talks to the API.
window.kubewebTerminals = {
    open(id, dotnet) {
        const el = document.getElementById(id);
        const term = new Terminal({ cursorBlink: true, convertEol: false, fontSize: 13, scrollback: 5000,
            fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace',
            theme: { background: "#0d1117", foreground: "#e6edf3" } });
        const fit = new FitAddon.FitAddon();
        term.loadAddon(fit);
        term.open(el);
        fit.fit();
        term.onData(data => dotnet.invokeMethodAsync("Input", data));
        term.onResize(size => dotnet.invokeMethodAsync("Resize", size.cols, size.rows));
        const onWindowResize = () => fit.fit();
        window.addEventListener("resize", onWindowResize);
        this[id] = { term, fit, onWindowResize };
        term.focus();
        return [term.cols, term.rows];
    },
    write(id, bytes) {
        const t = this[id];
        if (t) {
            t.term.write(bytes);
        }
    },
    text(id) {
        // What the screen shows, for tests and for copying: every buffer line, trimmed.
        const t = this[id];
        if (!t) {
            return "";
        }
        const buffer = t.term.buffer.active;
        const lines = [];
        for (let i = 0; i < buffer.length; i++) {
            lines.push(buffer.getLine(i).translateToString(true));
        }
        return lines.join("\n");
    },
    focus(id) {
        this[id]?.term.focus();
    },
    close(id) {
        const t = this[id];
        if (t) {
            window.removeEventListener("resize", t.onWindowResize);
            t.term.dispose();
            delete this[id];
        }
    },
};
