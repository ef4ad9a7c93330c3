// Placeholder until the construct lands; re-exports the folder's public API.
export {};
