"""Information governance: subject access and FOI requests, and retention, over the IG services.

Every page here is an information-governance officer's (retention also the records manager's),
as the authority table gives every step of a request file to them. The services decide
everything (`adapters/governance/sar/requests.py`, `adapters/governance/foi/requests.py`, `adapters/governance/retention.py`,
`adapters/governance/disposal_certificates.py`); the pages show what they say and record steps through the
same forms as a review's (`adapters/web/pages/steps.py`). A SAR's workbench lists each proposed
redaction with its ground; releasing third-party data takes a reason, and serious harm is
withheld only once a second officer confirms (the file's own rules). Opening a pack reads
personal data, which the services sign into the access log before it is shown.

The pages: `requests` (the lists and a new request), `sar`, `foi`, `retention`; `shared` is what
they share.
"""
