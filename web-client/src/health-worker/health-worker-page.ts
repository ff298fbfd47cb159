import { addSection } from '../shared/app';
import markup from './health-worker.html?raw';

// The health worker's section, put in the page as its code loads: the first import of health-worker.ts, so that
// it is there before any of the role's modules looks up its elements.
addSection(markup);
