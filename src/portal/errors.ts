// Operator input the portal refuses (CLI): a one-line reason, nothing written. Web users get
// DomainError (translated); operators get this English line on stderr (exit 1).
export class PortalInputError extends Error {}
