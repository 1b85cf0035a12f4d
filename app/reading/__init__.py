"""Reading a certificate for the user: from an upload or pasted text to a pre-filled activity form.

The parsers live in app.parsing (pure); this package decides who reads (the AI model or the local
parser), asks the user before anything leaves the server, runs the read as a job, and turns the
checked draft into form data. Nothing here saves an activity: the user does, with the normal form.
"""
