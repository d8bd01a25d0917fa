// Small browser helpers for the console; loaded from the server, nothing external.
window.kubeweb = {
    // Ctrl-K / Cmd-K opens the command palette wherever the focus is.
    registerPalette(dotnet) {
        if (window.kubeweb.paletteHandler) {
            document.removeEventListener("keydown", window.kubeweb.paletteHandler);
        }

        const handler = e => {
            if ((e.ctrlKey || e.metaKey) && (e.key === "k" || e.key === "K")) {
                e.preventDefault();
                dotnet.invokeMethodAsync("Open");
            }
        };
        window.kubeweb.paletteHandler = handler;
        document.addEventListener("keydown", handler);
    },
    focus(id) {
        const el = document.getElementById(id);
        if (el) {
            el.focus();
        }
    },
    // Keeps a log pane at its newest line (the page calls it after rendering while auto-scroll is on).
    scrollToEnd(id) {
        const el = document.getElementById(id);
        if (el) {
            el.scrollTop = el.scrollHeight;
        }
    },
    // Loads a script of the console once (the exec page's terminal), resolving when it has run.
    loadScript(src) {
        window.kubeweb.loaded = window.kubeweb.loaded || {};
        return window.kubeweb.loaded[src] ||= new Promise((resolve, reject) => {
            const s = document.createElement("script");
            s.src = src;
            s.onload = () => resolve();
            s.onerror = () => reject(new Error("could not load " + src));
            document.head.appendChild(s);
        });
    },
    loadStyle(href) {
        if (!document.querySelector(`link[href="${href}"]`)) {
            const l = document.createElement("link");
            l.rel = "stylesheet";
            l.href = href;
            document.head.appendChild(l);
        }
    },
    // Saves text the page holds as a file, without a round trip to the server.
    download(name, text) {
        const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = name;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
    },
    scrollIntoView(id) {
        const el = document.getElementById(id);
        if (el) {
            el.scrollIntoView({ block: "nearest" });
        }
    },
};
