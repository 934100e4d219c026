// Stand-in for the "server-only" marker package under vitest, where no React server bundle exists.
export {};
