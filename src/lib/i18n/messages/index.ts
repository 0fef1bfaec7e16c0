// Every message area of Lieu. A module adds its own file here (one area per module) and one line below.
import common from './common';
import auth from './auth';
import places from './places';
import people from './people';
import mail from './mail';
import admin from './admin';
import api from './api';
import demoModules from './demo-modules';
import money from './money';
import catalogue from './catalogue';
import journal from './journal';
import till from './till';
import checkout from './checkout';
import invoices from './invoices';
import accounting from './accounting';
import waitlist from './waitlist';
import booking from './booking';
import trainings from './trainings';
import machineSpace from './machine-space';

// One area per line (branches add lines without touching each other's).
export const areas = [
	common,
	auth,
	places,
	people,
	mail,
	api,
	admin,
	demoModules,
	money,
	catalogue,
	journal,
	till,
	checkout,
	invoices,
	accounting,
	waitlist,
	booking,
	trainings,
	machineSpace,
];
