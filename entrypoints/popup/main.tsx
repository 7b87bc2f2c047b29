import '@/components/styles/popup.css';
import {render} from 'preact';
import {PopupContainer} from './popup-container';

render(<PopupContainer />, document.querySelector('#app')!);
