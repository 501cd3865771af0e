// The pages work without scripts; with them, GOV.UK Frontend's components are started
// (the error summary takes focus, the navigation collapses on small screens, buttons are not
// submitted twice). Loaded as a module, so only browsers that GOV.UK Frontend supports run it.
import { initAll } from '/assets/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
