import { addSection } from '../shared/app';
import markup from './doctor.html?raw';

// The doctor's section, put in the page as its code loads: the first import of doctor.ts (and of the doctor's modules
// that look up elements as they load), so that it is there before any of them looks up its elements.
addSection(markup);
