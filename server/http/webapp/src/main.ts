import { createApp } from 'vue';
import 'vant/es/toast/style';
import 'vant/es/dialog/style';
import 'vant/es/notify/style';
import App from './App.vue';
import { router } from './router';
import { syncSession } from './session-sync';
import { ready } from './telegram';
import './style.css';

// A session that ended meanwhile (logout elsewhere, password changed) sends the page to the login; one changed in another tab is read again.
syncSession(router);

createApp(App).use(router).mount('#app');
ready();
