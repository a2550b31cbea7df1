// The audit sink of the handlers: one line per security event (auth failures, password
// attempts, refresh reuse, revocations) with ids and reasons, never tokens or passwords.

export type AuditLog = (line: string) => void;
