"""The ceiling: a bare Flask app that answers "Hello, World!", served by the same gunicorn
settings as elearn in the same run. No real page can be faster than this."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
