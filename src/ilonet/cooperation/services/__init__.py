"""Write-side functions of return cooperation between member states (RS 1, RS 2(b)), one
module per part: ``places`` (shared places in voluntary return and reintegration programmes),
``flights`` (charter seats), ``missions`` (identification and joint missions),
``opportunities`` (the directory of referral and reintegration opportunities) and ``support``
(peer support, tools and trainings). Each function authorises its actor before its transaction
and writes its audit event inside it; a refusal leaves nothing half-written."""
