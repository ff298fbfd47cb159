import { addSection } from '../shared/app';
import markup from './admin.html?raw';

// The admin's section, put in the page as its code loads: the first import of admin.ts, so that
// it is there before any of the role's modules looks up its elements.
addSection(markup);
