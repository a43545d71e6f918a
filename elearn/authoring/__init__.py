"""Writing courses in the browser: drafts, the editor, .zip upload and download, publishing."""
