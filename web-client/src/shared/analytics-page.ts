import { addSection } from './app';
import markup from './analytics.html?raw';

// The analytics dashboard's section comes with the pages that open it (the health officer's, the admin's), not with
// analytics.ts: the health worker's page uses its dates only.
addSection(markup);
