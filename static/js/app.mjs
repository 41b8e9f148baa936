// Marks the page as script-capable and starts GOV.UK Frontend components. Loaded as a
// module from the page template; there is no inline script anywhere (CSP script-src 'self').
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
