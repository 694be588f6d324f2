/** The snippet the Widget page shows and copies; the server test pastes this very string. */
export const widgetSnippet = (origin: string, token: string) => `<script src="${origin}/widget.js" data-token="${token}" async></script>`;
