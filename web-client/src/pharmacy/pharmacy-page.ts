import { addSection } from '../shared/app';
import markup from './pharmacy.html?raw';

// The pharmacist's section, put in the page as its code loads: the first import of pharmacy-home.ts, so that
// it is there before any of the role's modules looks up its elements.
addSection(markup);
