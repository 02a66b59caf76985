import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// A static build: dewy-local serves web/dist locally, CloudFront serves it from S3 in AWS. The
// page reads its configuration (API, issuer, client) from /config.json at start, so one build
// runs anywhere.
export default defineConfig({
  plugins: [react()],
  build: { target: "es2022", sourcemap: false },
});
