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
import accounting from './accounting';

export const areas = [common, auth, places, people, mail, api, admin, demoModules, money, accounting];
