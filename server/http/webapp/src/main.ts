import { createApp } from 'vue';
import 'vant/es/toast/style';
import 'vant/es/dialog/style';
import 'vant/es/notify/style';
import App from './App.vue';
import { onLoggedOut } from './api';
import { router } from './router';
import { session } from './session';
import { ready } from './telegram';
import './style.css';

// A session that ended meanwhile (logout elsewhere, password changed) sends the page to the login.
onLoggedOut(() => {
  session.me = null;
  if (router.currentRoute.value.name !== 'login') void router.push({ name: 'login' });
});

createApp(App).use(router).mount('#app');
ready();
