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
    scrollIntoView(id) {
        const el = document.getElementById(id);
        if (el) {
            el.scrollIntoView({ block: "nearest" });
        }
    },
};
