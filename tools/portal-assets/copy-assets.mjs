// Copies the files the portal serves into its static folder (gitignored), so the running
// portal reads nothing from node_modules and a service image needs no node at run time.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const vendor = join(here, "..", "..", "services", "portal", "portal", "static", "vendor");
mkdirSync(vendor, { recursive: true });
const files = {
  "@digital-go-jp/design-tokens/dist/tokens.css": "dds-tokens.css",
  "@digital-go-jp/design-tokens/LICENSE": "dds-tokens.LICENSE.txt",
};
for (const [from, to] of Object.entries(files)) {
  copyFileSync(join(here, "node_modules", from), join(vendor, to));
}
