"""Shop writes, one topic per module: sellers, catalogue, licences (checkout, issue, refund,
revocation, review), activations, downloads, and the payments purpose."""
