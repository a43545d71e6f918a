"""Writing courses in the browser: drafts, the editor, .zip upload and download, publishing.

The blueprint lives in ``routes`` (registered from there), so that the learner pages can use
``permissions`` without loading the editor.
"""
