import '@/components/styles/composer.css';
import {render} from 'preact';
import {EditContainer} from './edit-container';

render(<EditContainer search={location.search} />, document.querySelector('#app')!);
