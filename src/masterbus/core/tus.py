"""The tus protocol version this site speaks: sent by the uploads endpoint and by the rate limit's
answer to the uploader, so the security middleware need not import the uploads app."""

TUS_VERSION = "1.0.0"
